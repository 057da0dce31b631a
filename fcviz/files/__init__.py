"""What leaves the app as a file: the `.keras` download and the checked upload, history CSV (`persist`), and
the run as a Python script (`export`). Above `train`."""
