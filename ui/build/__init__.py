"""What only the Build page draws: the sidebar's layers (`layers`), and the network as Keras builds it (`summary`:
its one-line description, numbers, clickable diagram and table of shapes)."""
