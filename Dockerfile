# shipseal's generator image for Codeship's dockercfg_service. Build it with
# `make image`, which compiles the static binary this file copies: nothing
# is pulled, so the build works offline.
#
#   docker run --rm -v /tmp:/opt/data -e SHIPSEAL_KEY IMAGE /opt/data/dockercfg
#
# The image holds the binary and nothing else: no shell, no libc, no CA
# certificates (the generator makes no network connection of its own).
FROM scratch

ARG VERSION=dev
ARG REVISION=unknown
LABEL org.opencontainers.image.title="shipseal" \
      org.opencontainers.image.description="Writes a validated dockercfg for Codeship's dockercfg_service from an encrypted dockercfg, environment variables or a credential helper" \
      org.opencontainers.image.source="https://github.com/shipseal/shipseal" \
      org.opencontainers.image.documentation="https://github.com/shipseal/shipseal/blob/main/docs/generator.md" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}"

COPY bin/image/shipseal /shipseal

# Root, on purpose: the generator must write into whatever Codeship mounts,
# and that is usually a root-owned host directory or a fresh named volume
# (root-owned, mode 0755) that no other user can write to. The process
# reads its environment and at most two files, writes one file with mode
# 0600, and runs nothing else; the image has no shell to escalate with.
# Where the target is writable by others (a bind-mounted /tmp), run it with
# --user 65534:65534 instead. See docs/generator.md, "Security model".
USER 0:0
ENTRYPOINT ["/shipseal", "generate"]
