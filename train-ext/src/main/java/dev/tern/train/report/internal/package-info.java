/** SVG drawing and tick placement behind {@link dev.tern.train.report}. May change freely. */
package dev.tern.train.report.internal;
