-- wrk script: full-text search with a two-character Chinese word drawn from common words.
local words = {"社区", "养老", "服务", "志愿", "儿童", "协会", "中心", "文化", "教育", "环境", "助残", "科技"}
local function encode(s)
  return (s:gsub("[^%w]", function(c) return string.format("%%%02X", string.byte(c)) end))
end
local cookie = os.getenv("BENCH_COOKIE")
request = function()
  local w = words[math.random(#words)]
  return wrk.format("GET", "/api/v1/orgs?per_page=20&q=" .. encode(w), { ["Cookie"] = cookie })
end
