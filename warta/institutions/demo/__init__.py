"""The demo city (and larger benchmark scales) behind `warta seed-demo`.

`seeding.seed_demo` writes regions, agencies, people, channels and synthetic history, then
lets every app add its own demo data through `context.run_app_seeds`.
"""
