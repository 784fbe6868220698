"""Bodies of the health routes."""

from typing import Literal

from pydantic import BaseModel


class HealthStatus(BaseModel):
    status: Literal["healthy"] = "healthy"


class ReadinessStatus(BaseModel):
    status: Literal["ready"] = "ready"
