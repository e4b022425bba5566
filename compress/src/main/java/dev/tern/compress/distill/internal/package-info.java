/** How distillation checks the logits it reads and builds its loss graph. */
package dev.tern.compress.distill.internal;
