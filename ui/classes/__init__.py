"""What only the Class page draws (the teacher's side of a class): the teacher's access, a new class and the
links to hand out (`teacher`), and the live board of every run and the class's drawings (`board`). The student's
side, joining a class, is every page's (`ui.joining`)."""
