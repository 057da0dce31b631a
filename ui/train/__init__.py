"""What only the Train page draws, one module per part of the screen, top to bottom: the data set's words
(`words`), the sidebar's controls and the network summary (`controls`), the lecture series (`series`), the buttons
and what they do (`buttons`), the live curves (`live`), the results on the test set (`results`, with `moved` and
`export`), time travel (`travel`), and the runs to compare and reopen (`compare`)."""
