/**
 * The embedded TokenScope console: OTLP/HTTP in, DuckDB, a JSON query API and a web dashboard.
 * Start one with {@link dev.tokenscope.console.Console#builder()}; everything else lives in {@code
 * dev.tokenscope.console.internal} and is not API.
 */
@NullMarked
package dev.tokenscope.console;

import org.jspecify.annotations.NullMarked;
