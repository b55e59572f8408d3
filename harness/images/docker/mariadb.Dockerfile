# MariaDB from Debian's packages, set up as the official image (MariaDB/mariadb-docker) is: the
# package's postinst must not make a data directory (the entrypoint does, on first start), the
# bind-address, log* and user lines of the package's config are commented out (so the server
# listens on every address and logs to stderr), no host-name lookups. Character set and collation
# stay as Debian's 50-server.cnf gives them (utf8mb4, as the official image's packages do).
ARG BASE
FROM ${BASE}

RUN set -eux; \
	groupadd -r mysql --gid=999; \
	useradd -r -g mysql --uid=999 --home-dir=/var/lib/mysql mysql

RUN set -eux; \
	export DEBIAN_FRONTEND=noninteractive; \
	apt-get update; \
	# the postinst makes a data directory unless one seems to exist
	mkdir -p /var/lib/mysql/mysql; \
	touch /var/lib/mysql/mysql/user.frm; \
	apt-get install -y --no-install-recommends gosu tzdata mariadb-server; \
	apt-get clean; \
	rm -rf /var/lib/apt/lists/* /var/cache/debconf/*-old /var/log/apt/* /var/log/dpkg.log; \
	rm -rf /var/lib/mysql; \
	mkdir -p /var/lib/mysql /run/mysqld /docker-entrypoint-initdb.d; \
	chown -R mysql:mysql /var/lib/mysql /run/mysqld; \
	chmod 1777 /run/mysqld; \
	find /etc/mysql/ -name '*.cnf' -print0 \
		| xargs -0 grep -lZE '^(bind-address|log|user\s)' \
		| xargs -rt -0 sed -Ei 's/^(bind-address|log|user\s)/#&/'; \
	printf '[mariadb]\nhost-cache-size=0\nskip-name-resolve\n' > /etc/mysql/mariadb.conf.d/05-skipcache.cnf; \
	mariadbd --version

# as the official image: client tools read and write UTF-8
ENV LANG=C.UTF-8
VOLUME /var/lib/mysql

ENTRYPOINT ["docker-entrypoint.sh"]
EXPOSE 3306
CMD ["mariadbd"]
# last, so that a changed entrypoint rebuilds this layer only (dbcompat makes it executable)
COPY docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
