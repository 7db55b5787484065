"""karavan: source-cited facts about Central Asia's economic diplomacy from the region's press."""

__version__ = "0.1.0"
