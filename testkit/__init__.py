"""Test machinery kept outside the product package: the report generator (synth) and the
loopback OpenAI-compatible fake server. Tests, the eval harness and the benchmarks import it
from the repository root; the installed `audit` never does."""
