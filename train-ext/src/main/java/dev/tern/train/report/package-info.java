/**
 * Training reports: a run's per-epoch {@link dev.tern.train.report.TrainingHistory} drawn as a
 * dependency-free SVG chart ({@link dev.tern.train.report.HistoryChart}) and written, with a
 * table, as a small HTML page ({@link dev.tern.train.report.HistoryReport}).
 */
package dev.tern.train.report;
