-- wrk script: POST a correct demo login (the full argon2id verify plus a session write).
wrk.method = "POST"
wrk.body   = "email=hansha%40example.jp&password=daiko-demo-2026"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
