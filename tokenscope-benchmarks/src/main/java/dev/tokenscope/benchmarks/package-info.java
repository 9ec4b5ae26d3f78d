/** JMH benchmarks of TokenScope; run them with {@code java -jar target/benchmarks.jar}. */
package dev.tokenscope.benchmarks;
