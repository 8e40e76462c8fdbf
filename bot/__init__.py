"""briefbot core: platform-free. Adapters (adapters/) translate chat platforms to it."""

__version__ = "0.1.0"
