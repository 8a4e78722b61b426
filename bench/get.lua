-- wrk script: authenticated GET of the path given to wrk. TOKEN from the environment.
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
