/** SVG drawing, tick placement and atomic file writing behind {@link dev.tern.train.report}. May change freely. */
package dev.tern.train.report.internal;
