"""The framework's floor for the browser benchmark: the smallest Streamlit
page that draws one Plotly chart (no data, no store). Nothing the product
shows; benchmarks/browser.py serves it beside the app to compare."""

import plotly.graph_objects as go
import streamlit as st

st.set_page_config(layout="wide")
st.plotly_chart(go.Figure(go.Bar(x=["a", "b", "c"], y=[1, 3, 2])), theme=None, key="floor_chart")
