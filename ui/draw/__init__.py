"""What only the Draw page draws: the canvas and the network's reading of it (`reading`), which pixels flip the
prediction and one unit's own sum (`explain`), and the fine-tune on my handwriting (`finetune`)."""
