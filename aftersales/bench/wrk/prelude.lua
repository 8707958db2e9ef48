-- Shared by every HTTP scenario of `make bench`: the runner writes `devices = …`, `plans = …`
-- (for the repair request's scenarios, `users`, `express_users`, `submits`, `submit_offset`;
-- for the workshop's, `staff`, `scan_cases`, `open_cases`, `serials`, `former_serials`,
-- `emails`, `move_cases`, `move_offset`, `move_action`, `move_body`; for the contact form's,
-- `contacts`, `contact_offset`, `contact_boundary`, `contact_fixed`) above this file and the
-- scenario's `request()` below it.

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

-- A query string's value: everything but letters, digits and -._~ percent-encoded (an e-mail's @).
function urlencode(text)
  return (string.gsub(text, "[^%w%-%._~]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end

function post_headers(u)
  return {
    Cookie = cookies(u),
    ["X-CSRFToken"] = u.c,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }
end

-- A logged-out visitor of the contact form (aftersales/bench/support_data.py): the CSRF cookie
-- and the language their browser got with the form's page; no session yet.
function contact_headers(v)
  return {
    Cookie = "csrftoken=" .. v.c .. "; aftersales_language=" .. v.l,
    ["Content-Type"] = "multipart/form-data; boundary=" .. contact_boundary,
  }
end

function form_part(name, value)
  return "--" .. contact_boundary .. "\r\nContent-Disposition: form-data; name=\"" .. name ..
    "\"\r\n\r\n" .. value .. "\r\n"
end

-- The form as the browser sends it: the token, what this visitor typed, the fields every
-- visitor fills alike and the invoice (`contact_fixed`, ready-made parts), then the code.
function contact_body(v)
  return form_part("csrfmiddlewaretoken", v.t) .. form_part("product_model", v.m) ..
    form_part("full_name", v.n) .. form_part("email", v.e) ..
    form_part("serial_number", v.s) .. contact_fixed ..
    form_part("captcha_0", v.k) .. form_part("captcha_1", v.r) ..
    "--" .. contact_boundary .. "--\r\n"
end

-- Per thread: how many times request() ran (the submissions and the workshop's moves count it,
-- to hand out each draft or case once), and, in the runner's trial run, the answers that were
-- not the expected ones and the redirections. `term`: what the last request asked for (a case
-- number, a serial number…), which the trial run may look for in the answer.
calls = 0
unexpected = 0
redirects = 0
first_unexpected = ""
term = nil
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(2026)  -- the same requests every run
end

-- Only in the trial run (`accepted` set by the runner: {status, text the Location must
-- contain} pairs, and `expect_term`): a response() function costs the load generator a header
-- parse per response. The trial runs one connection: `term` is this answer's request's.
if accepted then
  function response(status, headers, body)
    local location = headers["Location"] or ""
    local redirect = status >= 300 and status < 400
    local ok = false
    for _, pair in ipairs(accepted) do
      if status == pair[1] and string.find(location, pair[2], 1, true) then ok = true end
    end
    if redirect then redirects = redirects + 1 end
    if ok and expect_term ~= "" and term ~= nil then
      if redirect then
        ok = expect_term ~= "any" or string.find(location, term, 1, true) ~= nil
      else
        ok = string.find(body or "", term, 1, true) ~= nil
      end
    end
    if not ok then
      unexpected = unexpected + 1
      if first_unexpected == "" then
        local seen = status .. " " .. location .. (term and (" for " .. term) or "")
        first_unexpected = seen:gsub('[^%w%p ]', '?'):gsub('["\\]', '?')
      end
    end
  end
end

-- One JSON line the runner reads: counts, and latencies in microseconds. `status` counts the
-- answers that are not 2xx or 3xx (wrk checks them without a `response()` function, which
-- would cost the load generator a header parse per response).
function done(summary, latency, requests)
  local errors = summary.errors
  local total_calls, total_unexpected, total_redirects, first = 0, 0, 0, ""
  for _, thread in ipairs(threads) do
    total_calls = total_calls + thread:get("calls")
    total_unexpected = total_unexpected + thread:get("unexpected")
    total_redirects = total_redirects + thread:get("redirects")
    if first == "" then first = thread:get("first_unexpected") end
  end
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "p50": %d, "p95": %d, "p99": %d, ' ..
    '"max": %d, "errors": %d, "status_errors": %d, "calls": %d, "unexpected": %d, ' ..
    '"redirects": %d, "first_unexpected": "%s"}\n',
    summary.requests, summary.duration,
    math.floor(latency:percentile(50)), math.floor(latency:percentile(95)),
    math.floor(latency:percentile(99)), math.floor(latency.max),
    errors.connect + errors.read + errors.write + errors.timeout, errors.status,
    total_calls, total_unexpected, total_redirects, first))
end
