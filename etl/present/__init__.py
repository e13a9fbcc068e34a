"""How a number, a sentence and a chart are shown, for the dashboard and the written brief alike.

Pure functions and constants, no Streamlit: number formats (fmt), colours and the Plotly
template (theme), measures and notes (labels), what a masked value reads (states), generated
sentences (narrative) and figure builders (charts). The pages draw these on screen; etl/brief
writes them into a .docx and a PDF, so a number, a sentence and a chart read the same in both.
"""
