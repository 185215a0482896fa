"""The least any typer + pydantic command pays at start-up: the bench times this beside `audit`.

It imports typer, defines one pydantic model and runs a typer command whose options are typed
(typer ≥ 0.20 builds a pydantic adapter per option), then exits. The audit's own modules, its
first report and its output are what `audit --no-llm` costs above this.
"""

import sys
from typing import Optional

import typer
from pydantic import BaseModel


class Result(BaseModel):
    file: str
    findings: list[str] = []


app = typer.Typer(add_completion=False)


@app.command()
def main(report: str, no_llm: bool = typer.Option(False, "--no-llm"), fmt: Optional[str] = typer.Option(None, "--format")):
    print(Result(file=report).model_dump_json())


if __name__ == "__main__":
    sys.exit(app())
