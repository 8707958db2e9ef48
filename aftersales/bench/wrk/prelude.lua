-- Shared by every HTTP scenario of `make bench`: the runner writes `devices = …`, `plans = …`
-- (and, for the repair request's scenarios, `users`, `express_users`, `submits`,
-- `submit_offset`) above this file and the scenario's `request()` below it.

-- The serial number of benchmark device n, as aftersales/bench/data.py makes it:
-- "BX" .. (n * 2654435761) mod 10^10 on ten digits. Lua numbers are doubles, exact up to 2^53;
-- printed in two halves because %d may not take a number above 2^31.
function serial(n)
  local value = (n * 2654435761) % 10000000000
  return string.format("BX%05d%05d", math.floor(value / 100000), value % 100000)
end

-- A logged-in customer's browser (aftersales/bench/repairs_data.py): session, CSRF cookie,
-- language already chosen. A POST sends the CSRF token back as the X-CSRFToken header.
function cookies(u)
  return "sessionid=" .. u.s .. "; csrftoken=" .. u.c .. "; aftersales_language=" .. u.l
end

function post_headers(u)
  return {
    Cookie = cookies(u),
    ["X-CSRFToken"] = u.c,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }
end

-- Per thread: how many times request() ran (the submissions count it, to hand out each draft
-- once), and, in the runner's trial run, the answers that were not the expected ones.
calls = 0
unexpected = 0
first_unexpected = ""
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(2026)  -- the same requests every run
end

-- Only in the trial run (`expect_status` set by the runner): a response() function costs the
-- load generator a header parse per response.
if expect_status then
  function response(status, headers, body)
    local location = headers["Location"] or ""
    if status ~= expect_status or not string.find(location, expect_location, 1, true) then
      unexpected = unexpected + 1
      if first_unexpected == "" then
        first_unexpected = status .. " " .. location:gsub('[^%w%p ]', '?'):gsub('["\\]', '?')
      end
    end
  end
end

-- One JSON line the runner reads: counts, and latencies in microseconds. `status` counts the
-- answers that are not 2xx or 3xx (wrk checks them without a `response()` function, which
-- would cost the load generator a header parse per response).
function done(summary, latency, requests)
  local errors = summary.errors
  local total_calls, total_unexpected, first = 0, 0, ""
  for _, thread in ipairs(threads) do
    total_calls = total_calls + thread:get("calls")
    total_unexpected = total_unexpected + thread:get("unexpected")
    if first == "" then first = thread:get("first_unexpected") end
  end
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "p50": %d, "p95": %d, "p99": %d, ' ..
    '"max": %d, "errors": %d, "status_errors": %d, "calls": %d, "unexpected": %d, ' ..
    '"first_unexpected": "%s"}\n',
    summary.requests, summary.duration,
    math.floor(latency:percentile(50)), math.floor(latency:percentile(95)),
    math.floor(latency:percentile(99)), math.floor(latency.max),
    errors.connect + errors.read + errors.write + errors.timeout, errors.status,
    total_calls, total_unexpected, first))
end
