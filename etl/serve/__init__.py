"""python -m etl serve: the dashboard on one port, N Streamlit workers behind nginx.

proxy.py writes nginx's configuration (websocket upgrade, a sticky session per browser);
launch.py starts and stops the processes; worker.py is one worker, which builds the role
databases before its first visitor; stream.py speaks Streamlit's websocket protocol, to warm
each worker's caches with a first visit of every page (and for the load benchmark).
"""
