"""planner: strength and mobility training plans for distance runners, optimised with CP-SAT."""

__version__ = "0.1.0"
