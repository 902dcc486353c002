"""Society: poverty, health, education, labour, new rural communes and
traffic safety — each indicator's figures against its targets."""

from ui import theme

# What this page shows lives in data/views.toml under [society].
theme.draw("society")
