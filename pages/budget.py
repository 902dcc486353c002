"""Budget: revenue and its parts against the estimate (dự toán), and
expenditure and its parts: % of the estimate against the share of the year
elapsed, and each figure beside its targets."""

from ui import theme

# What this page shows lives in data/views.toml under [budget].
theme.draw("budget")
