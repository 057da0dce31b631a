"""What the tests, benchmarks and scripts share: starting the app, driving it in Chromium or over
Streamlit's own protocol, drawing digits, polling AppTest. Not part of the app."""
