"""Pure logic of the plan tracker: the data contract, the store, status rules,
formatting and exports. Nothing here imports Streamlit."""
