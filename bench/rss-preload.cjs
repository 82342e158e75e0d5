// Preloaded into a benchmarked process: reports its peak RSS on exit (to stderr, one tagged line).
process.on("exit", () => {
  process.stderr.write(`\n@@peak_rss_kb ${process.resourceUsage().maxRSS}\n`);
});
