"""Tests of the training comparisons' parsing, tables, medians and base commit lookup, without
running a benchmark (tools/src/test/java/dev/tern/bench/BenchScriptsTest.java runs them in the
Maven build). Run alone: python3 -m unittest discover -s tools/bench -p 'test_*.py'."""
import contextlib
import io
import json
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path
from unittest import mock

import base_jar
import bench_runs
import torch_timing
import train_before_after
import train_rounds
from bench_runs import Rounds, RunFailed, Score

# One result of `-rf json`, as JMH 1.37 wrote it for TrainStepBenchmark (percentiles and raw
# data trimmed), with its model parameter changed to make a second result.
JMH_MLP = {
    "jmhVersion": "1.37", "benchmark": "dev.tern.bench.TrainStepBenchmark.step", "mode": "avgt", "threads": 1,
    "forks": 1, "warmupIterations": 3, "warmupTime": "2 s", "measurementIterations": 5, "measurementTime": "2 s",
    "params": {"model": "mlp", "threads": "1"},
    "primaryMetric": {"score": 3.914565339811605, "scoreError": 17.26609571755089,
                      "scoreConfidence": [-13.351530377739284, 21.180661057362496], "scoreUnit": "ms/op",
                      "rawData": [[4.694496503211991, 11.440957782857144, 0.976963430976431, 1.482465683912119,
                                   0.977943298100341]]},
    "secondaryMetrics": {},
}
JMH_CNN = {**JMH_MLP, "params": {"model": "cnn", "threads": "1"},
           "primaryMetric": {**JMH_MLP["primaryMetric"], "score": 2.5, "scoreError": 0.25}}


class JmhResultTest(unittest.TestCase):
    def test_reads_the_score_of_the_named_model_and_threads(self):
        text = json.dumps([JMH_MLP, JMH_CNN])
        self.assertEqual(Score(2.5, 0.25), bench_runs.parse_jmh_result(text, "cnn", 1))
        self.assertEqual(3.915, round(bench_runs.parse_jmh_result(text, "mlp", 1).ms, 3))

    def test_fails_naming_the_missing_run(self):
        with self.assertRaisesRegex(RunFailed, "no run of model=mlp, threads=2"):
            bench_runs.parse_jmh_result(json.dumps([JMH_MLP]), "mlp", 2)

    def test_refuses_another_unit(self):
        seconds = {**JMH_MLP, "primaryMetric": {**JMH_MLP["primaryMetric"], "scoreUnit": "s/op"}}
        with self.assertRaisesRegex(RunFailed, "in s/op, expected ms/op"):
            bench_runs.parse_jmh_result(json.dumps([seconds]), "mlp", 1)


class TorchOutputTest(unittest.TestCase):
    OUTPUT = "mlp 1 0.3390\ncnn 1 10.8300\ncnn 2 6.1000\n"

    def test_reads_the_line_of_the_named_model_and_threads(self):
        self.assertEqual(Score(6.1), bench_runs.parse_torch_output(self.OUTPUT, "cnn", 2))

    def test_fails_when_the_line_is_missing(self):
        with self.assertRaisesRegex(RunFailed, "no line for lstm at 1 thread"):
            bench_runs.parse_torch_output(self.OUTPUT, "lstm", 1)

    def test_the_scripts_take_the_rounds_and_refuse_unknown_models(self):
        argv = ["family_step_torch.py", "1", "lstm", "--rounds", "2", "--seconds", "0.5"]
        with mock.patch.object(sys, "argv", argv):
            args = torch_timing.arguments("test", ["autoencoder", "lstm"], 3, 5, 2.0)
        self.assertEqual((1, ["lstm"], 3, 2, 0.5), (args.threads, args.models, args.warmup_rounds, args.rounds,
                                                    args.seconds))
        with mock.patch.object(sys, "argv", ["family_step_torch.py", "1"]):
            self.assertEqual(["autoencoder", "lstm"], torch_timing.arguments("test", ["autoencoder", "lstm"], 3, 5,
                                                                             2.0).models)
        with mock.patch.object(sys, "argv", ["family_step_torch.py", "1", "gan"]), \
                contextlib.redirect_stderr(io.StringIO()) as errors, self.assertRaises(SystemExit):
            torch_timing.arguments("test", ["autoencoder", "lstm"], 3, 5, 2.0)
        self.assertIn("unknown model gan; expected one of autoencoder, lstm", errors.getvalue())

    def test_both_sides_get_the_same_rounds(self):
        rounds = Rounds(warmup=2, measured=4, seconds=4)
        self.assertEqual(["-wi", "2", "-w", "4s", "-i", "4", "-r", "4s"], rounds.jmh_options())
        self.assertEqual(["--warmup-rounds", "2", "--rounds", "4", "--seconds", "4"], rounds.torch_options())


def pair(name, tern, torch, load=(2.0, 3.0)):
    model = next(m for m in train_rounds.MODELS if m.name == name)
    return train_rounds.Pair(model, 1, tern, torch, *load)


class TablesTest(unittest.TestCase):
    def test_round_table_has_a_ratio_and_the_load_per_model(self):
        table = train_rounds.round_table([pair("mlp", Score(0.157, 0.004), Score(0.339)),
                                          pair("cnn", Score(3.11, 0.2), Score(10.83), (2.4, 3.4))])
        self.assertEqual([
            "| model | threads | Tern ms/step | PyTorch ms/step | Tern/PyTorch | load average before, after |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
            "| MLP | 1 | 0.157 ± 0.004 | 0.339 | 0.46 | 2.00, 3.00 |",
            "| CNN | 1 | 3.110 ± 0.200 | 10.830 | 0.29 | 2.40, 3.40 |",
        ], table.splitlines())

    def test_median_table_takes_each_models_median_ratio_over_the_rounds(self):
        rounds = [[pair("mlp", Score(1.0), Score(2.0)), pair("gan", Score(3.0), Score(3.0))],
                  [pair("mlp", Score(3.0), Score(2.0)), pair("gan", Score(1.0), Score(4.0))],
                  [pair("mlp", Score(1.8), Score(2.0)), pair("gan", Score(2.0), Score(5.0))]]
        rows = train_rounds.median_table(rounds).splitlines()[2:]
        self.assertEqual(["| MLP | 1 | 1.800 | 2.000 | 0.50, 1.50, 0.90 | 0.90 |",
                          "| GAN step | 1 | 2.000 | 4.000 | 1.00, 0.25, 0.40 | 0.40 |"], rows)

    def test_median_of_two_rounds_is_their_mean(self):
        self.assertEqual({"a": 1.5, "b": 4.0}, bench_runs.medians_by_key([{"a": 1.0, "b": 4.0}, {"a": 2.0}]))

    def test_before_after_tables_divide_after_by_before(self):
        mlp = next(m for m in train_rounds.MODELS if m.name == "mlp")
        pairs = [train_before_after.Pair(mlp.label, 1, Score(0.2, 0.01), Score(0.18, 0.01), 1.0, 1.5)]
        self.assertEqual("| MLP | 1 | 0.200 ± 0.010 | 0.180 ± 0.010 | 0.90 | 1.00, 1.50 |",
                         train_before_after.round_table(pairs, "85f2dc25253d").splitlines()[2])
        second = [train_before_after.Pair(mlp.label, 1, Score(0.2), Score(0.22), 1.0, 1.0)]
        self.assertEqual("| MLP | 1 | 0.90, 1.10 | 1.00 |",
                         train_before_after.median_table([pairs, second]).splitlines()[2])

    def test_run_rounds_prints_each_round_then_the_medians(self):
        measured = {1: [pair("mlp", Score(1.0), Score(2.0))], 2: [pair("mlp", Score(3.0), Score(2.0))]}
        with contextlib.redirect_stdout(io.StringIO()) as out:
            bench_runs.run_rounds(2, measured.get, train_rounds.round_table, train_rounds.median_table)
        text = out.getvalue()
        self.assertIn("Round 1:", text)
        self.assertIn("| MLP | 1 | 1.000 | 2.000 | 0.50 |", text)
        self.assertIn("| MLP | 1 | 3.000 | 2.000 | 1.50 |", text)
        self.assertTrue(text.rstrip().endswith("| MLP | 1 | 2.000 | 2.000 | 0.50, 1.50 | 1.00 |"), text)

    def test_a_failed_run_stops_with_its_message(self):
        def failing(number):
            raise RunFailed("JMH exited with status 1; log x.log")

        with contextlib.redirect_stdout(io.StringIO()), self.assertRaises(SystemExit) as stop:
            bench_runs.run_rounds(2, failing, train_rounds.round_table, train_rounds.median_table)
        self.assertIn("JMH exited with status 1; log x.log", str(stop.exception.code))


class BaseCommitTest(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.TemporaryDirectory()
        self.repo = Path(self.folder.name)
        self.git("init", "-q")

    def tearDown(self):
        self.folder.cleanup()

    def git(self, *args):
        return subprocess.run(["git", "-c", "user.name=test", "-c", "user.email=test@example.com", *args],
                              cwd=self.repo, check=True, stdout=subprocess.PIPE, text=True).stdout.strip()

    def commit(self, path, text):
        file = self.repo / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(text)
        self.git("add", path)
        self.git("commit", "-q", "-m", f"write {path}")
        return self.git("rev-parse", "HEAD")

    def test_the_default_base_is_the_parent_of_the_commit_that_added_loss_terms(self):
        before = self.commit("README.md", "one")
        self.commit(base_jar.MULTI_LOSS_API_FILE, "class LossTerms {}")
        self.commit(base_jar.MULTI_LOSS_API_FILE, "final class LossTerms {}")
        self.assertEqual(before, base_jar.before_multi_loss_api(self.repo))

    def test_a_history_without_loss_terms_names_the_file(self):
        self.commit("README.md", "one")
        with self.assertRaisesRegex(base_jar.BuildFailed, "no commit .* adds train-ext/.*/LossTerms.java"):
            base_jar.before_multi_loss_api(self.repo)

    def test_an_unknown_commit_fails_before_building(self):
        self.commit("README.md", "one")
        with self.assertRaisesRegex(base_jar.BuildFailed, r"git rev-parse --verify no-such-commit\^\{commit\} failed"):
            base_jar.built_jar(self.repo, "no-such-commit")


if __name__ == "__main__":
    unittest.main()
