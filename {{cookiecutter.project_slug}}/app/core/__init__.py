"""Configuration, database, logging and errors shared by the whole service."""
