# MySQL from Debian's packages (the server and client binaries, as the official image installs
# Oracle's "server-minimal" package), with the official image's /etc/my.cnf: data in /var/lib/mysql,
# socket and pid file in /var/run/mysqld, secure-file-priv /var/lib/mysql-files, no host-name
# lookups, no bind-address and no log-error (so the server listens on every address and logs to
# stderr). Character set and collation are the server's compiled defaults (utf8mb4,
# utf8mb4_0900_ai_ci), which neither Debian's nor the official image's config changes.
ARG BASE
FROM ${BASE}

RUN set -eux; \
	groupadd --system --gid 999 mysql; \
	useradd --system --uid 999 --gid 999 --home-dir /var/lib/mysql --no-create-home mysql

RUN set -eux; \
	export DEBIAN_FRONTEND=noninteractive; \
	apt-get update; \
	apt-get install -y --no-install-recommends gosu tzdata mysql-server-core mysql-client-core; \
	apt-get clean; \
	rm -rf /var/lib/apt/lists/* /var/cache/debconf/*-old /var/log/apt/* /var/log/dpkg.log; \
	mkdir -p /etc/mysql/conf.d /var/lib/mysql /var/lib/mysql-files /var/run/mysqld /docker-entrypoint-initdb.d; \
	{ \
		echo '[mysqld]'; \
		echo 'host-cache-size=0'; \
		echo 'skip-name-resolve'; \
		echo 'datadir=/var/lib/mysql'; \
		echo 'socket=/var/run/mysqld/mysqld.sock'; \
		echo 'secure-file-priv=/var/lib/mysql-files'; \
		echo 'user=mysql'; \
		echo; \
		echo 'pid-file=/var/run/mysqld/mysqld.pid'; \
		echo '[client]'; \
		echo 'socket=/var/run/mysqld/mysqld.sock'; \
		echo; \
		echo '!includedir /etc/mysql/conf.d/'; \
	} > /etc/mysql/my.cnf; \
	chown mysql:mysql /var/lib/mysql /var/lib/mysql-files /var/run/mysqld; \
	chmod 1777 /var/lib/mysql /var/run/mysqld; \
	chmod 0750 /var/lib/mysql-files; \
	mysqld --version; \
	mysql --version

VOLUME /var/lib/mysql

ENTRYPOINT ["docker-entrypoint.sh"]
EXPOSE 3306 33060
CMD ["mysqld"]
# last, so that a changed entrypoint rebuilds this layer only (dbcompat makes it executable)
COPY docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
