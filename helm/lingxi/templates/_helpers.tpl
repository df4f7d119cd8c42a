{{/*
Shared named templates of the Lingxi chart.

Most templates take a "deployable context", a dict built by "lingxi.deployable":
  root      the chart's top-level context ($)
  name      deployable name: tag | product | strategy | campaign | channel | points | gateway
  s         that deployable's settings: `defaults` deep-merged with its own section
  fullname  resource name of the deployable ("<release>-lingxi-<name>" or "<release>-<name>")
  gateway   true for the gateway (HTTP), false for the gRPC services
*/}}

{{/* The six gRPC services, in port order. */}}
{{- define "lingxi.serviceNames" -}}
tag product strategy campaign channel points
{{- end -}}

{{- define "lingxi.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
Release-wide name prefix. Capped at 45 characters so that the longest suffix
("-provision-streams") still fits the 63-character limit of names and labels.
*/}}
{{- define "lingxi.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 45 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 45 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 45 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Name of one component's resources; takes dict root, name. */}}
{{- define "lingxi.componentName" -}}
{{- printf "%s-%s" (include "lingxi.fullname" .root) .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "lingxi.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels that identify the release's pods; takes dict root (and optional name). */}}
{{- define "lingxi.releaseSelectorLabels" -}}
app.kubernetes.io/name: {{ include "lingxi.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{/* Selector labels of one component; takes dict root, name. */}}
{{- define "lingxi.selectorLabels" -}}
{{ include "lingxi.releaseSelectorLabels" . }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{/* Full label set; takes dict root and an optional name (component). */}}
{{- define "lingxi.labels" -}}
helm.sh/chart: {{ include "lingxi.chart" .root }}
{{- if .name }}
{{ include "lingxi.selectorLabels" . }}
{{- else }}
{{ include "lingxi.releaseSelectorLabels" . }}
{{- end }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: lingxi
{{- with .root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* The image reference; a digest pins it and wins over the tag. */}}
{{- define "lingxi.image" -}}
{{- $image := .Values.image -}}
{{- if $image.digest -}}
{{- printf "%s@%s" $image.repository $image.digest -}}
{{- else -}}
{{- printf "%s:%s" $image.repository (default .Chart.AppVersion $image.tag | toString) -}}
{{- end -}}
{{- end -}}

{{/* Secret holding DATABASE_URL, LINGXI_SERVICE_TOKEN and LINGXI_PII_KEY. */}}
{{- define "lingxi.secretName" -}}
{{- if and (not .Values.secrets.create) .Values.secrets.existingSecret -}}
{{- .Values.secrets.existingSecret -}}
{{- else -}}
{{- printf "%s-secrets" (include "lingxi.fullname" .) -}}
{{- end -}}
{{- end -}}

{{/* Data of the chart-managed Secret (only rendered with secrets.create). */}}
{{- define "lingxi.secretData" -}}
{{- $s := .Values.secrets -}}
{{- if not .Values.database.existingSecret }}
{{ $s.keys.databaseUrl }}: {{ required "secrets.databaseUrl is required when secrets.create is true" $s.databaseUrl | b64enc | quote }}
{{- end }}
{{ $s.keys.serviceToken }}: {{ required "secrets.serviceToken is required when secrets.create is true" $s.serviceToken | b64enc | quote }}
{{ $s.keys.piiKey }}: {{ required "secrets.piiKey is required when secrets.create is true" $s.piiKey | b64enc | quote }}
{{- end -}}

{{/* Secret holding the gateway's API keys file; empty when partners have no API keys. */}}
{{- define "lingxi.apiKeysSecretName" -}}
{{- $keys := .Values.gateway.apiKeys -}}
{{- if $keys.existingSecret -}}
{{- $keys.existingSecret -}}
{{- else if $keys.content -}}
{{- printf "%s-gateway-api-keys" (include "lingxi.fullname" .) -}}
{{- end -}}
{{- end -}}

{{/* One deployable's settings as YAML; takes dict root, name. */}}
{{- define "lingxi.settings" -}}
{{- $own := index .root.Values .name | default dict -}}
{{- toYaml (mergeOverwrite (deepCopy .root.Values.defaults) (deepCopy $own)) -}}
{{- end -}}

{{/* Plain configuration every process gets (ConfigMaps and hook Jobs); a YAML map. */}}
{{- define "lingxi.commonConfig" -}}
{{- $v := .Values -}}
{{- $data := dict
  "LINGXI_ENVIRONMENT" $v.environment
  "LINGXI_LOG_LEVEL" $v.logLevel
  "LINGXI_LOG_FORMAT" $v.logFormat
  "NATS_URL" $v.nats.url
  "LINGXI_MIGRATE_ON_START" "false"
-}}
{{- with $v.otel.endpoint }}
{{- $_ := set $data "OTEL_EXPORTER_OTLP_ENDPOINT" . -}}
{{- end }}
{{- toYaml $data -}}
{{- end -}}

{{/* Addresses of the enabled gRPC services (LINGXI_<SERVICE>_ADDR); takes dict root, name. */}}
{{- define "lingxi.upstreamConfig" -}}
{{- $root := .root -}}
{{- $self := .name -}}
{{- $data := dict -}}
{{- range $svc := splitList " " (include "lingxi.serviceNames" $root) }}
{{- $cfg := include "lingxi.settings" (dict "root" $root "name" $svc) | fromYaml -}}
{{- if and $cfg.enabled (ne $svc $self) }}
{{- $addr := printf "%s:%d" (include "lingxi.componentName" (dict "root" $root "name" $svc)) (int $cfg.grpcPort) -}}
{{- $_ := set $data (printf "LINGXI_%s_ADDR" (upper $svc)) $addr -}}
{{- end }}
{{- end }}
{{- toYaml $data -}}
{{- end -}}

{{/* Secret-backed env entries; takes the root context. */}}
{{- define "lingxi.secretEnv" -}}
{{- $v := .Values -}}
{{- $secret := include "lingxi.secretName" . -}}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ default $secret $v.database.existingSecret }}
      key: {{ ternary $v.database.existingSecretKey $v.secrets.keys.databaseUrl (ne $v.database.existingSecret "") }}
- name: LINGXI_SERVICE_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ $v.secrets.keys.serviceToken }}
- name: LINGXI_PII_KEY
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ $v.secrets.keys.piiKey }}
{{- end -}}

{{/* Pod identity for telemetry; takes dict fullname, kind (deployment | job). */}}
{{- define "lingxi.podEnv" -}}
- name: POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
- name: POD_NAMESPACE
  valueFrom:
    fieldRef:
      fieldPath: metadata.namespace
- name: OTEL_RESOURCE_ATTRIBUTES
  value: {{ printf "k8s.namespace.name=$(POD_NAMESPACE),k8s.pod.name=$(POD_NAME),k8s.%s.name=%s" .kind .fullname | quote }}
{{- end -}}

{{- define "lingxi.tmpVolume" -}}
- name: tmp
  emptyDir:
    {{- with .Values.tmpVolume.medium }}
    medium: {{ . }}
    {{- end }}
    sizeLimit: {{ .Values.tmpVolume.sizeLimit }}
{{- end -}}

{{/*
Everything one deployable needs: ConfigMap, ServiceAccount, Service, Deployment, HPA, PDB.
Takes dict root, name. The per-deployable template files are a single call of this.
*/}}
{{- define "lingxi.deployable" -}}
{{- $s := include "lingxi.settings" . | fromYaml -}}
{{- if $s.enabled -}}
{{- $ctx := dict "root" .root "name" .name "s" $s "gateway" (eq .name "gateway") "fullname" (include "lingxi.componentName" .) -}}
{{ include "lingxi.configMap" $ctx }}
---
{{ include "lingxi.serviceAccount" $ctx }}
---
{{ include "lingxi.service" $ctx }}
---
{{ include "lingxi.deployment" $ctx }}
{{- if $s.autoscaling.enabled }}
---
{{ include "lingxi.hpa" $ctx }}
{{- end }}
{{- if $s.pdb.enabled }}
---
{{ include "lingxi.pdb" $ctx }}
{{- end }}
{{- end -}}
{{- end -}}

{{- define "lingxi.configMap" -}}
{{- $s := .s -}}
{{- $data := include "lingxi.commonConfig" .root | fromYaml -}}
{{- $data = mergeOverwrite $data (include "lingxi.upstreamConfig" . | fromYaml) -}}
{{- if .gateway -}}
{{- $_ := set $data "LINGXI_GATEWAY_HOST" "0.0.0.0" -}}
{{- $_ = set $data "LINGXI_GATEWAY_PORT" (toString (int $s.port)) -}}
{{- with $s.jwt.issuer }}{{ $_ = set $data "LINGXI_JWT_ISSUER" . }}{{ end -}}
{{- with $s.jwt.audience }}{{ $_ = set $data "LINGXI_JWT_AUDIENCE" . }}{{ end -}}
{{- with $s.jwt.jwksUrl }}{{ $_ = set $data "LINGXI_JWT_JWKS_URL" . }}{{ end -}}
{{- if include "lingxi.apiKeysSecretName" .root -}}
{{- $_ = set $data "LINGXI_API_KEYS_FILE" (printf "/etc/lingxi/api-keys/%s" $s.apiKeys.key) -}}
{{- end -}}
{{- else -}}
{{- $_ := set $data "LINGXI_GRPC_HOST" "0.0.0.0" -}}
{{- $_ = set $data "LINGXI_GRPC_PORT" (toString (int $s.grpcPort)) -}}
{{- $_ = set $data "LINGXI_METRICS_PORT" (toString (int $s.metricsPort)) -}}
{{- end -}}
{{- range $key, $value := $s.env -}}
{{- $_ := set $data $key (toString $value) -}}
{{- end -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .fullname }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "lingxi.labels" . | nindent 4 }}
data:
  {{- toYaml $data | nindent 2 }}
{{- end -}}

{{- define "lingxi.serviceAccount" -}}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ .fullname }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "lingxi.labels" . | nindent 4 }}
  {{- with .s.serviceAccount.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
automountServiceAccountToken: false
{{- end -}}

{{- define "lingxi.service" -}}
{{- $s := .s -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ .fullname }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "lingxi.labels" . | nindent 4 }}
  {{- with $s.service.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  type: {{ $s.service.type }}
  selector:
    {{- include "lingxi.selectorLabels" . | nindent 4 }}
  ports:
    {{- if .gateway }}
    - name: http
      port: {{ $s.port | int }}
      targetPort: http
      protocol: TCP
      appProtocol: http
    {{- else }}
    - name: grpc
      port: {{ $s.grpcPort | int }}
      targetPort: grpc
      protocol: TCP
      appProtocol: grpc
    - name: metrics
      port: {{ $s.metricsPort | int }}
      targetPort: metrics
      protocol: TCP
      appProtocol: http
    {{- end }}
{{- end -}}

{{/* A probe's timing fields. */}}
{{- define "lingxi.probeTiming" -}}
periodSeconds: {{ .periodSeconds | int }}
timeoutSeconds: {{ .timeoutSeconds | int }}
failureThreshold: {{ .failureThreshold | int }}
{{- end -}}

{{/* One probe; takes dict ctx (deployable context), probe (settings), path (gateway). */}}
{{- define "lingxi.probe" -}}
{{- if .ctx.gateway -}}
httpGet:
  path: {{ .path }}
  port: http
{{- else -}}
grpc:
  port: {{ .ctx.s.grpcPort | int }}
  {{- with .probe.grpcService }}
  service: {{ . | quote }}
  {{- end }}
{{- end }}
{{ include "lingxi.probeTiming" .probe }}
{{- end -}}

{{- define "lingxi.deployment" -}}
{{- $root := .root -}}
{{- $s := .s -}}
{{- $ctx := . -}}
{{- $apiKeysSecret := include "lingxi.apiKeysSecretName" $root -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .fullname }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "lingxi.labels" . | nindent 4 }}
spec:
  {{- if not $s.autoscaling.enabled }}
  replicas: {{ $s.replicas | int }}
  {{- end }}
  revisionHistoryLimit: {{ $s.revisionHistoryLimit | int }}
  strategy:
    {{- toYaml $s.updateStrategy | nindent 4 }}
  selector:
    matchLabels:
      {{- include "lingxi.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "lingxi.labels" . | nindent 8 }}
        {{- with $s.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      annotations:
        checksum/config: {{ include "lingxi.configMap" . | sha256sum }}
        {{- if $root.Values.secrets.create }}
        checksum/secret: {{ include "lingxi.secretData" $root | sha256sum }}
        {{- end }}
        {{- if and .gateway $root.Values.gateway.apiKeys.content }}
        checksum/api-keys: {{ $root.Values.gateway.apiKeys.content | sha256sum }}
        {{- end }}
        {{- with $s.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ .fullname }}
      automountServiceAccountToken: false
      enableServiceLinks: false
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $s.priorityClassName }}
      priorityClassName: {{ . }}
      {{- end }}
      terminationGracePeriodSeconds: {{ $s.terminationGracePeriodSeconds | int }}
      securityContext:
        {{- toYaml $root.Values.podSecurityContext | nindent 8 }}
      {{- with $s.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $s.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $s.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- if $s.topologySpreadConstraints }}
      topologySpreadConstraints:
        {{- toYaml $s.topologySpreadConstraints | nindent 8 }}
      {{- else if $s.topologySpread.enabled }}
      topologySpreadConstraints:
        {{- range $key := $s.topologySpread.topologyKeys }}
        - topologyKey: {{ $key }}
          maxSkew: {{ $s.topologySpread.maxSkew | int }}
          whenUnsatisfiable: {{ $s.topologySpread.whenUnsatisfiable }}
          labelSelector:
            matchLabels:
              {{- include "lingxi.selectorLabels" $ctx | nindent 14 }}
          matchLabelKeys:
            - pod-template-hash
        {{- end }}
      {{- end }}
      containers:
        - name: {{ .name }}
          image: {{ include "lingxi.image" $root | quote }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          args: ["serve", {{ .name | quote }}]
          ports:
            {{- if .gateway }}
            - name: http
              containerPort: {{ $s.port | int }}
              protocol: TCP
            {{- else }}
            - name: grpc
              containerPort: {{ $s.grpcPort | int }}
              protocol: TCP
            - name: metrics
              containerPort: {{ $s.metricsPort | int }}
              protocol: TCP
            {{- end }}
          envFrom:
            - configMapRef:
                name: {{ .fullname }}
          env:
            {{- include "lingxi.podEnv" (dict "fullname" .fullname "kind" "deployment") | nindent 12 }}
            {{- include "lingxi.secretEnv" $root | nindent 12 }}
            {{- with $s.extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          {{- if $s.probes.startup.enabled }}
          startupProbe:
            {{- include "lingxi.probe" (dict "ctx" . "probe" $s.probes.startup "path" "/healthz") | nindent 12 }}
          {{- end }}
          {{- if $s.probes.liveness.enabled }}
          livenessProbe:
            {{- include "lingxi.probe" (dict "ctx" . "probe" $s.probes.liveness "path" "/healthz") | nindent 12 }}
          {{- end }}
          {{- if $s.probes.readiness.enabled }}
          readinessProbe:
            {{- include "lingxi.probe" (dict "ctx" . "probe" $s.probes.readiness "path" "/readyz") | nindent 12 }}
          {{- end }}
          {{- if gt (int $s.preStopSleepSeconds) 0 }}
          lifecycle:
            preStop:
              exec:
                command: ["sleep", {{ $s.preStopSleepSeconds | int | toString | quote }}]
          {{- end }}
          resources:
            {{- toYaml $s.resources | nindent 12 }}
          securityContext:
            {{- toYaml $root.Values.securityContext | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            {{- if and .gateway $apiKeysSecret }}
            - name: api-keys
              mountPath: /etc/lingxi/api-keys
              readOnly: true
            {{- end }}
            {{- with $s.extraVolumeMounts }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
      volumes:
        {{- include "lingxi.tmpVolume" $root | nindent 8 }}
        {{- if and .gateway $apiKeysSecret }}
        - name: api-keys
          secret:
            secretName: {{ $apiKeysSecret }}
            defaultMode: 0440
            items:
              - key: {{ $s.apiKeys.key }}
                path: {{ $s.apiKeys.key }}
        {{- end }}
        {{- with $s.extraVolumes }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
{{- end -}}

{{- define "lingxi.hpa" -}}
{{- $a := .s.autoscaling -}}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ .fullname }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "lingxi.labels" . | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ .fullname }}
  minReplicas: {{ $a.minReplicas | int }}
  maxReplicas: {{ $a.maxReplicas | int }}
  {{- if not (or $a.targetCPUUtilizationPercentage $a.targetMemoryUtilizationPercentage) }}
  {{- fail (printf "%s.autoscaling needs targetCPUUtilizationPercentage or targetMemoryUtilizationPercentage" .name) }}
  {{- end }}
  metrics:
    {{- with $a.targetCPUUtilizationPercentage }}
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ . | int }}
    {{- end }}
    {{- with $a.targetMemoryUtilizationPercentage }}
    - type: Resource
      resource:
        name: memory
        target:
          type: Utilization
          averageUtilization: {{ . | int }}
    {{- end }}
  {{- with $a.behavior }}
  behavior:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end -}}

{{- define "lingxi.pdb" -}}
{{- $p := .s.pdb -}}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ .fullname }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "lingxi.labels" . | nindent 4 }}
spec:
  {{- if $p.minAvailable }}
  minAvailable: {{ $p.minAvailable }}
  {{- else }}
  maxUnavailable: {{ $p.maxUnavailable }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "lingxi.selectorLabels" . | nindent 6 }}
{{- end -}}

{{/*
A hook Job running one `lingxi` sub-command against PostgreSQL/NATS.
Takes dict root, name, args (list), cfg (the Job's values), weight (string).
Everything it needs is inline (env, no ConfigMap): on a first install the hooks run before
any regular resource of the release exists.
*/}}
{{- define "lingxi.hookJob" -}}
{{- $root := .root -}}
{{- $defaults := $root.Values.defaults -}}
{{- $fullname := include "lingxi.componentName" . -}}
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ $fullname }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "lingxi.labels" . | nindent 4 }}
  annotations:
    helm.sh/hook: pre-install,pre-upgrade
    helm.sh/hook-weight: {{ .weight | quote }}
    helm.sh/hook-delete-policy: {{ .cfg.hookDeletePolicy }}
spec:
  backoffLimit: {{ .cfg.backoffLimit | int }}
  activeDeadlineSeconds: {{ .cfg.activeDeadlineSeconds | int }}
  template:
    metadata:
      labels:
        {{- include "lingxi.labels" . | nindent 8 }}
        {{- with $defaults.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      restartPolicy: Never
      serviceAccountName: {{ include "lingxi.componentName" (dict "root" $root "name" "jobs") }}
      automountServiceAccountToken: false
      enableServiceLinks: false
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $defaults.priorityClassName }}
      priorityClassName: {{ . }}
      {{- end }}
      securityContext:
        {{- toYaml $root.Values.podSecurityContext | nindent 8 }}
      {{- with $defaults.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $defaults.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $defaults.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      containers:
        - name: {{ .name }}
          image: {{ include "lingxi.image" $root | quote }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          args:
            {{- toYaml .args | nindent 12 }}
          env:
            {{- $config := include "lingxi.commonConfig" $root | fromYaml -}}
            {{- range $key, $value := $defaults.env -}}
            {{- $_ := set $config $key (toString $value) -}}
            {{- end -}}
            {{- range $key := keys $config | sortAlpha }}
            - name: {{ $key }}
              value: {{ get $config $key | quote }}
            {{- end }}
            {{- include "lingxi.podEnv" (dict "fullname" $fullname "kind" "job") | nindent 12 }}
            {{- include "lingxi.secretEnv" $root | nindent 12 }}
            {{- with $defaults.extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          resources:
            {{- toYaml .cfg.resources | nindent 12 }}
          securityContext:
            {{- toYaml $root.Values.securityContext | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            {{- with $defaults.extraVolumeMounts }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
      volumes:
        {{- include "lingxi.tmpVolume" $root | nindent 8 }}
        {{- with $defaults.extraVolumes }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
{{- end -}}
