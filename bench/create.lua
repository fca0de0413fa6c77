-- wrk script: durable creates (POST /api/v1/orgs), each a committed transaction with its audit
-- record and search index entry. Names are unique per thread and request.
local counter = 0
local thread_tag = tostring(math.random(1, 1e9))
local cookie = os.getenv("BENCH_COOKIE")
local csrf = os.getenv("BENCH_CSRF")
local street = os.getenv("BENCH_STREET")
local community = os.getenv("BENCH_COMMUNITY")
request = function()
  counter = counter + 1
  local body = string.format(
    '{"name":"压测社区志愿服务队%s-%d","type":"community_group","fields":["social_service"],"street_code":"%s","community_code":"%s","description":"基准测试创建的社区社会组织"}',
    thread_tag, counter, street, community)
  return wrk.format("POST", "/api/v1/orgs", {
    ["Cookie"] = cookie, ["X-CSRF-Token"] = csrf, ["Content-Type"] = "application/json" }, body)
end
