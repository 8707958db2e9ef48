-- Shared by every HTTP scenario of `make bench`: the runner writes `devices = …`, `plans = …`
-- above this file and the scenario's `request()` below it.

-- The serial number of benchmark device n, as aftersales/bench/data.py makes it:
-- "BX" .. (n * 2654435761) mod 10^10 on ten digits. Lua numbers are doubles, exact up to 2^53;
-- printed in two halves because %d may not take a number above 2^31.
function serial(n)
  local value = (n * 2654435761) % 10000000000
  return string.format("BX%05d%05d", math.floor(value / 100000), value % 100000)
end

function init(args)
  math.randomseed(2026)  -- the same requests every run
end

-- One JSON line the runner reads: counts, and latencies in microseconds. `status` counts the
-- answers that are not 2xx or 3xx (wrk checks them without a `response()` function, which
-- would cost the load generator a header parse per response).
function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "p50": %d, "p95": %d, "p99": %d, ' ..
    '"max": %d, "errors": %d, "status_errors": %d}\n',
    summary.requests, summary.duration,
    math.floor(latency:percentile(50)), math.floor(latency:percentile(95)),
    math.floor(latency:percentile(99)), math.floor(latency.max),
    errors.connect + errors.read + errors.write + errors.timeout, errors.status))
end
