"""Training: its record (`history`), its reading (`diagnosis`), the step (`steps`), one job (`job`) and where
jobs run (`worker`, `engine`, `slots`), and a session's run and trainer (`training`). Above `net`."""
