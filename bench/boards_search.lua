-- wrk script: board post search (GET /api/v1/boards/search) with one- and two-character
-- Chinese words, 20 results a page, as the signed-in user whose cookie is in BENCH_COOKIE.
local words = {"社区", "志愿", "养老", "议事", "托管", "公益", "联席", "垃圾", "慈善", "法律", "儿童", "物业", "老", "捐"}
local function encode(s)
  return (s:gsub("[^%w]", function(c) return string.format("%%%02X", string.byte(c)) end))
end
local cookie = os.getenv("BENCH_COOKIE")
request = function()
  local w = words[math.random(#words)]
  return wrk.format("GET", "/api/v1/boards/search?per_page=20&q=" .. encode(w), { ["Cookie"] = cookie })
end
