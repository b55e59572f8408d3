# PostgreSQL from Debian's packages, set up as the official image (docker-library/postgres) is:
# same user ids, en_US.utf8 locale (so initdb makes UTF8 databases with that collation),
# listen_addresses = '*' in the sample config initdb copies, the same entrypoint variables.
ARG BASE
FROM ${BASE}
ARG PG_MAJOR
ARG PGDATA_DIR

RUN set -eux; \
	groupadd -r postgres --gid=999; \
	useradd -r -g postgres --uid=999 --home-dir=/var/lib/postgresql --shell=/bin/bash postgres; \
	install --directory --owner postgres --group postgres --mode 1777 /var/lib/postgresql

RUN set -eux; \
	export DEBIAN_FRONTEND=noninteractive; \
	apt-get update; \
	apt-get install -y --no-install-recommends gosu locales tzdata postgresql-common; \
	# the image's entrypoint makes the cluster, not the package's postinst
	sed -ri 's/#(create_main_cluster) .*$/\1 = false/' /etc/postgresql-common/createcluster.conf; \
	apt-get install -y --no-install-recommends "postgresql-$PG_MAJOR"; \
	apt-get clean; \
	rm -rf /var/lib/apt/lists/* /var/cache/debconf/*-old /var/log/apt/* /var/log/dpkg.log; \
	echo 'en_US.UTF-8 UTF-8' >> /etc/locale.gen; \
	locale-gen; \
	locale -a | grep -qx 'en_US.utf8'; \
	sample="/usr/share/postgresql/$PG_MAJOR/postgresql.conf.sample"; \
	sed -ri "s!^#?(listen_addresses)\s*=\s*\S+.*!\1 = '*'!" "$sample"; \
	grep -qF "listen_addresses = '*'" "$sample"; \
	install --directory --owner postgres --group postgres --mode 3777 /var/run/postgresql; \
	mkdir /docker-entrypoint-initdb.d; \
	"/usr/lib/postgresql/$PG_MAJOR/bin/postgres" --version

ENV LANG=en_US.utf8 \
	PG_MAJOR=${PG_MAJOR} \
	PATH=/usr/lib/postgresql/${PG_MAJOR}/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	PGDATA=${PGDATA_DIR}
# 1777 becomes 0700 at the first start (the entrypoint chowns it to postgres)
RUN install --directory --owner postgres --group postgres --mode 1777 "$PGDATA"
VOLUME /var/lib/postgresql

ENTRYPOINT ["docker-entrypoint.sh"]
# "fast shutdown", as the official image
STOPSIGNAL SIGINT
EXPOSE 5432
CMD ["postgres"]
# last, so that a changed entrypoint rebuilds this layer only (dbcompat makes it executable)
COPY docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
