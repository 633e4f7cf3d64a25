-- wrk script for bench/soak.sh: the vendor's group recipe with a session token, at a fixed pace when given a delay.
-- Usage: wrk ... -s bench/soak.lua URL -- PAUSE_MS (fractions allowed; 0: as fast as the connections go).
wrk.method = "POST"
wrk.headers["QB-Token"] = "bench-token"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"type":2,"name":"New Year party","occupants_ids":"96831397,96831328,96830631,96754523","photo":"68123"}'

local pause, owed = 0, 0

function init(args)
    pause = tonumber(args[1] or "0")
end

-- Each connection waits this long after an answer before its next request: CONNECTIONS / (pause + latency)
-- requests per second in all. wrk's timer counts whole milliseconds, so a fractional pause is paid as a mix of the
-- two nearest ones (30.5: 30, 31, 30, 31, ...).
function delay()
    owed = owed + pause
    local now = math.floor(owed)
    owed = owed - now
    return now
end

-- One line the script reads back: counts, rate and latency percentiles in microseconds.
function done(summary, latency, requests)
    local errors = summary.errors
    io.write(string.format(
        'SUMMARY {"requests":%d,"duration_us":%d,"non_2xx":%d,"socket_errors":%d,"p50_us":%d,"p99_us":%d,"max_us":%d}\n',
        summary.requests, summary.duration, errors.status,
        errors.connect + errors.read + errors.write + errors.timeout,
        latency:percentile(50), latency:percentile(99), latency.max))
end
