"""The class store: tables and migrations, the store itself (classes and the devices that keep them, runs,
drawings, my digits), a run as it is saved and reopened (`saved_runs`), and scoring on the class's handwriting.
Above `files`."""
