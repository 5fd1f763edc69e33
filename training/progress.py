"""A rich progress bar for the HF Trainer: step, loss, val loss, tokens/s and ETA."""
from __future__ import annotations

import time

from transformers import TrainerCallback


class RichProgress(TrainerCallback):
    """Shows one bar per run and keeps the measured training throughput (tokens/s)."""

    def __init__(self, description: str = "training", console=None, enabled: bool = True, report=None):
        self.description = description
        self.report = report              # optional report(step, total, **stats): the build job's status file
        self._started = 0.0
        self._first_step = 0
        self.console = console
        self.enabled = enabled
        self.progress = None
        self.task = None
        self.tokens = 0
        self.train_seconds = 0.0
        self._last_tokens: int | None = None
        self._last_time = 0.0
        self.loss: float | None = None
        self.val_loss: float | None = None

    @property
    def tokens_per_s(self) -> float:
        return self.tokens / self.train_seconds if self.train_seconds else 0.0

    def on_train_begin(self, args, state, control, **kwargs):
        self._last_time = self._started = time.perf_counter()
        self._first_step = state.global_step
        if self.report:
            self.report(state.global_step, state.max_steps)
        if not self.enabled:
            return
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.progress = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                                 TextColumn("{task.fields[stats]}"), TimeRemainingColumn(),
                                 console=self.console, transient=False)
        self.progress.start()
        self.task = self.progress.add_task(self.description, total=state.max_steps,
                                           completed=state.global_step, stats="")

    def on_step_end(self, args, state, control, **kwargs):
        if self.progress is not None:
            self.progress.update(self.task, completed=state.global_step, stats=self._stats())
        if self.report:
            done = state.global_step - self._first_step
            eta = (time.perf_counter() - self._started) / done * (state.max_steps - state.global_step) if done else None
            loss = round(self.loss, 4) if self.loss is not None else None
            self.report(state.global_step, state.max_steps, loss=loss, eta_s=round(eta) if eta is not None else None,
                        tokens_per_s=round(self.tokens_per_s, 1) if self.tokens_per_s else None)

    def on_evaluate(self, args, state, control, **kwargs):
        # Evaluation time is not training time: restart the clock after it.
        self._last_time = time.perf_counter()

    def on_log(self, args, state, control, logs=None, **kwargs):
        logs = logs or {}
        now = time.perf_counter()
        if "num_tokens" in logs and "loss" in logs:
            seen = int(logs["num_tokens"])
            if self._last_tokens is not None and seen >= self._last_tokens:
                self.tokens += seen - self._last_tokens
                self.train_seconds += now - self._last_time
            self._last_tokens = seen
            self._last_time = now
        if "loss" in logs:
            self.loss = float(logs["loss"])
        if "eval_loss" in logs:
            self.val_loss = float(logs["eval_loss"])
        self.on_step_end(args, state, control)
        if self.progress is not None and not self.progress.console.is_terminal:  # logs: one line per report
            self.progress.console.print(f"{self.description} step {state.global_step}/{state.max_steps} {self._stats()}")

    def _stats(self) -> str:
        parts = []
        if self.loss is not None:
            parts.append(f"loss {self.loss:.3f}")
        if self.val_loss is not None:
            parts.append(f"val {self.val_loss:.3f}")
        if self.tokens_per_s:
            parts.append(f"{self.tokens_per_s:.0f} tok/s")
        return "  ".join(parts)

    def on_train_end(self, args, state, control, **kwargs):
        if self.progress is not None:
            self.progress.update(self.task, completed=state.global_step, stats=self._stats())
            self.progress.stop()
            self.progress = None

