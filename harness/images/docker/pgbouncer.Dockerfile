# PgBouncer from Debian's packages, for the container path of a matrix server reached through a pooler:
# it runs in front of the container of that server's PostgreSQL. The entrypoint writes its configuration
# from the container's environment (see pgbouncer-entrypoint.sh) and PgBouncer logs to the container's
# output. It runs as the package's own user, never as root (PgBouncer refuses to).
ARG BASE
FROM ${BASE}

RUN set -eux; \
	export DEBIAN_FRONTEND=noninteractive; \
	apt-get update; \
	apt-get install -y --no-install-recommends pgbouncer; \
	apt-get clean; \
	rm -rf /var/lib/apt/lists/* /var/cache/debconf/*-old /var/log/apt/* /var/log/dpkg.log; \
	# the package's own instance is a service; this image runs PgBouncer in the foreground instead
	rm -f /etc/pgbouncer/pgbouncer.ini /etc/pgbouncer/userlist.txt; \
	id -u postgres; \
	install --directory --owner postgres --group postgres --mode 0700 /etc/pgbouncer /var/run/postgresql; \
	pgbouncer --version

USER postgres
ENTRYPOINT ["docker-entrypoint.sh"]
# SIGINT: "safe shutdown", waiting for clients to finish (PgBouncer's own meaning of it)
STOPSIGNAL SIGINT
EXPOSE 6432
CMD ["pgbouncer"]
# last, so that a changed entrypoint rebuilds this layer only (dbcompat makes it executable)
COPY docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
