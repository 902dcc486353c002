"""Trade: import-export turnover, exports and imports — the figure, its %
of plan, its change on last year and its pace through the year — and the
growth of locally produced exports."""

from ui import theme

# What this page shows lives in data/views.toml under [trade].
theme.draw("trade")
