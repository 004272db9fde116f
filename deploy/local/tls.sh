# shellcheck shell=bash
# The local Kafka's certificates, made with openssl and keytool only; sourced by deploy/local/kafka and
# deploy/local/kafka-acls after lib.sh, never run.
#
# <state>/kafka-tls/ (mode 700):
#   ca.key (600), ca.pem                the CA (EC P-256, 10 years); its key never leaves this directory
#   truststore.p12                      the CA certificate as a PKCS#12 trust store without a password (nothing in
#                                       it is secret)
#   <name>.p12, <name>.password (600)   the key and certificate chain of identity <name> (subject CN=<name>), in a
#                                       PKCS#12 key store under a random password; the private key exists nowhere else
#   <name>.properties (600)             Kafka client settings for <name> (security.protocol=SSL, the stores), for
#                                       --command-config of Kafka's tools and for the coordinator and agents
# The broker maps a certificate to the principal User:<CN> (ssl.principal.mapping.rules in deploy/local/kafka).

tls_dir() { echo "$1/kafka-tls"; }

# A name we issue certificates for: letters, digits, '.', '_', '-', at most 64 characters (X.509's limit for a CN).
tls_check_name() {
  [[ "$1" =~ ^[A-Za-z0-9._-]{1,64}$ ]] \
    || die "'$1' cannot be a certificate's CN: use 1-64 letters, digits, '.', '_' or '-' (an agent id at most 58)"
}

# The CA, once per state directory.
tls_ca() {
  local d="$1"
  (umask 077; mkdir -p "$d")
  [ -s "$d/ca.pem" ] && [ -s "$d/ca.key" ] && [ -s "$d/truststore.p12" ] && return 0
  command -v openssl >/dev/null || die "needs openssl for the Kafka certificates (apt-get install openssl)"
  command -v keytool >/dev/null || die "needs keytool (a JDK: apt-get install openjdk-17-jdk-headless) for the Kafka trust store"
  say "making the local Kafka CA in $d"
  (umask 077; openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 \
      -subj "/O=Vantage local/CN=Vantage local Kafka CA" \
      -addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign" \
      -keyout "$d/ca.key.tmp" -out "$d/ca.pem.tmp" 2>/dev/null) || die "openssl could not make the CA in $d"
  mv "$d/ca.key.tmp" "$d/ca.key"; mv "$d/ca.pem.tmp" "$d/ca.pem"
  chmod 644 "$d/ca.pem"
  # no MAC and no encryption: Java then reads the store without a password (Kafka: no ssl.truststore.password)
  rm -f "$d/truststore.p12"
  local out
  out="$(keytool -J-Dkeystore.pkcs12.certProtectionAlgorithm=NONE -J-Dkeystore.pkcs12.macAlgorithm=NONE -importcert \
      -noprompt -alias vantage-local-kafka-ca -file "$d/ca.pem" -keystore "$d/truststore.p12" -storetype PKCS12 \
      -storepass vantage-public 2>&1)" || die "keytool could not write the trust store $d/truststore.p12: $out"
  chmod 644 "$d/truststore.p12"
}

# Issues <name>.p12 (CN=<name>) signed by the CA and writes <name>.properties.
#   tls_issue DIR NAME client            a client certificate
#   tls_issue DIR NAME server SAN...     a broker certificate (server and client: the broker talks to its controller)
tls_issue() {
  local d="$1" name="$2" kind="$3"; shift 3
  tls_check_name "$name"
  local eku=clientAuth san="" s
  if [ "$kind" = server ]; then
    eku=serverAuth,clientAuth
    for s in "$@"; do san="${san:+$san,}$s"; done
  fi
  local key="$d/$name.key.tmp" csr="$d/$name.csr.tmp" ext="$d/$name.ext.tmp" pem="$d/$name.pem.tmp"
  (
    umask 077
    trap 'rm -f "$key" "$csr" "$ext" "$pem" "$d/$name.p12.tmp" "$d/$name.password.tmp"' EXIT
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/O=Vantage local/CN=$name" \
        -keyout "$key" -out "$csr" 2>/dev/null || exit 1
    { echo "basicConstraints=critical,CA:FALSE"; echo "keyUsage=critical,digitalSignature"; echo "extendedKeyUsage=$eku"
      [ -z "$san" ] || echo "subjectAltName=$san"; } >"$ext"
    # a random serial rather than ca.srl: agents are issued in parallel
    openssl x509 -req -in "$csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" -set_serial "0x$(openssl rand -hex 16)" -days 825 \
        -extfile "$ext" -out "$pem" 2>/dev/null || exit 1
    head -c 24 /dev/urandom | base64 | tr -d '+/=\n' >"$d/$name.password.tmp"
    openssl pkcs12 -export -name "$name" -in "$pem" -inkey "$key" -certfile "$d/ca.pem" \
        -passout "file:$d/$name.password.tmp" -out "$d/$name.p12.tmp" 2>/dev/null || exit 1
    mv "$d/$name.password.tmp" "$d/$name.password"
    mv "$d/$name.p12.tmp" "$d/$name.p12"
  ) || die "openssl could not issue the certificate for $name in $d"
  tls_client_properties "$d" "$name"
}

# <name>.properties: the Kafka client settings of identity <name> (mode 600: it holds the key store's password).
tls_client_properties() {
  local d="$1" name="$2"
  (
    umask 077
    cat >"$d/$name.properties.tmp" <<EOF
security.protocol=SSL
ssl.truststore.location=$d/truststore.p12
ssl.truststore.type=PKCS12
ssl.keystore.location=$d/$name.p12
ssl.keystore.type=PKCS12
ssl.keystore.password=$(cat "$d/$name.password")
EOF
    mv "$d/$name.properties.tmp" "$d/$name.properties"
  )
}

# Runs one of Kafka's admin tools (a class in org.apache.kafka.tools of the kafka-tools jar: AclCommand is what
# bin/kafka-acls.sh runs, TopicCommand bin/kafka-topics.sh) as kafka-admin, like
# bin/kafka-acls.sh --bootstrap-server BOOTSTRAP --command-config <kafka-admin's settings> ARGS.
#   tls_admin_tool DIR BOOTSTRAP AclCommand|TopicCommand ARGS...
tls_admin_tool() {
  local d="$1" bootstrap="$2" tool="$3"; shift 3
  # a short-lived client: small heap, no optimizing compiler (starts faster); log4j without a file logs errors only
  # shellcheck disable=SC2154 # libs_dir comes from lib.sh, sourced first
  "$(java_bin)" -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -cp "$libs_dir/kafka-libs/*" \
    "org.apache.kafka.tools.$tool" --bootstrap-server "$bootstrap" --command-config "$d/kafka-admin.properties" "$@"
}

# Runs several admin tools at once (a JVM start each, and they mostly wait), each given as one string "TOOL ARGS..."
# split at blanks and newlines (no argument may contain one); appends what they printed to LOG in their order. Returns 1 when one
# failed, after printing what that one said.
#   tls_admin_all DIR BOOTSTRAP LOG "TOOL ARGS..." ...
tls_admin_all() {
  local d="$1" bootstrap="$2" log="$3"; shift 3
  local run words pids=() outs=() runs=() i rc=0
  for run in "$@"; do
    read -r -d '' -a words <<<"$run" || true   # all lines, split at blanks and newlines
    runs+=("${words[*]}")
    outs+=("$(mktemp "$log.XXXXXX")")
    tls_admin_tool "$d" "$bootstrap" "${words[@]}" >"${outs[-1]}" 2>&1 &
    pids+=($!)
  done
  for i in "${!pids[@]}"; do
    if ! wait "${pids[$i]}"; then
      rc=1
      say "${runs[$i]} failed:"
      tail -n 25 "${outs[$i]}" | cut -c 1-400 >&2
    fi
    cat "${outs[$i]}" >>"$log"
    rm -f "${outs[$i]}"
  done
  return $rc
}
