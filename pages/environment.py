"""Environment: forest cover and new planting (with its seasonal pace),
clean and hygienic water, waste collected and treated."""

from ui import theme

# What this page shows lives in data/views.toml under [environment].
theme.draw("environment")
