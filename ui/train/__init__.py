"""What only the Train page draws, one module per part of the screen, top to bottom: the lecture's experiments and
series (`series`), the data set's words and the results' tab names (`words`), the sidebar's controls and the
network summary (`controls`), the buttons and what they do (`buttons`), the live curves and numbers (`live`), then
the results' tabs (`tabs`): the test set (`results`), moved digits (`moved`), time travel (`travel`), code and
downloads (`export`), the runs to compare, and below them the runs to reopen (`compare`)."""
