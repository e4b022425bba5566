/** Layer construction and weight initialization behind {@link dev.tern.train.models.ModelTemplates}. May change freely. */
package dev.tern.train.models.internal;
