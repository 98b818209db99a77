{{/* Names and labels */}}
{{- define "ducklake.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "ducklake.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "ducklake.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels of every resource; pass (dict "ctx" $ "component" "api") */}}
{{- define "ducklake.labels" -}}
helm.sh/chart: {{ include "ducklake.chart" .ctx }}
{{ include "ducklake.selectorLabels" . }}
app.kubernetes.io/version: {{ .ctx.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
app.kubernetes.io/part-of: ducklake
{{- end -}}

{{- define "ducklake.selectorLabels" -}}
app.kubernetes.io/name: {{ include "ducklake.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "ducklake.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "ducklake.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* An image reference: repository:tag, or repository:tag@digest. Pass the image values. */}}
{{- define "ducklake.image" -}}
{{- if .digest -}}
{{- printf "%s:%s@%s" .repository (toString .tag) .digest -}}
{{- else -}}
{{- printf "%s:%s" .repository (toString .tag) -}}
{{- end -}}
{{- end -}}

{{/* PostgreSQL: where and who */}}
{{- define "ducklake.postgresql.fullname" -}}
{{- printf "%s-postgresql" (include "ducklake.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "ducklake.postgresql.host" -}}
{{- if .Values.postgresql.enabled -}}
{{- include "ducklake.postgresql.fullname" . -}}
{{- else -}}
{{- required "postgresql.external.host is required when postgresql.enabled is false" .Values.postgresql.external.host -}}
{{- end -}}
{{- end -}}

{{- define "ducklake.postgresql.port" -}}
{{- if .Values.postgresql.enabled -}}5432{{- else -}}{{ .Values.postgresql.external.port }}{{- end -}}
{{- end -}}

{{- define "ducklake.postgresql.user" -}}
{{- if .Values.postgresql.enabled -}}{{ .Values.postgresql.auth.username }}{{- else -}}{{ .Values.postgresql.external.user }}{{- end -}}
{{- end -}}

{{- define "ducklake.postgresql.database" -}}
{{- if .Values.postgresql.enabled -}}{{ .Values.postgresql.auth.database }}{{- else -}}{{ .Values.postgresql.external.database }}{{- end -}}
{{- end -}}

{{- define "ducklake.postgresql.secretName" -}}
{{- if .Values.postgresql.enabled -}}
{{- default (include "ducklake.postgresql.fullname" .) .Values.postgresql.auth.existingSecret -}}
{{- else -}}
{{- required "postgresql.external.existingSecret is required when postgresql.enabled is false" .Values.postgresql.external.existingSecret -}}
{{- end -}}
{{- end -}}

{{- define "ducklake.postgresql.secretKey" -}}
{{- if .Values.postgresql.enabled -}}
{{- if .Values.postgresql.auth.existingSecret -}}{{ .Values.postgresql.auth.existingSecretPasswordKey }}{{- else -}}password{{- end -}}
{{- else -}}
{{- .Values.postgresql.external.existingSecretPasswordKey -}}
{{- end -}}
{{- end -}}

{{/* postgresql://user@host:port/db?sslmode=… (the password comes from a file) */}}
{{- define "ducklake.metadataUrl" -}}
{{- $url := printf "postgresql://%s@%s:%s/%s" (include "ducklake.postgresql.user" .) (include "ducklake.postgresql.host" .) (include "ducklake.postgresql.port" .) (include "ducklake.postgresql.database" .) -}}
{{- if .Values.postgresql.enabled -}}
{{- $url -}}?sslmode=disable
{{- else -}}
{{- $url -}}?sslmode={{ .Values.postgresql.external.sslmode }}
{{- end -}}
{{- end -}}

{{/* MinIO / S3 */}}
{{- define "ducklake.minio.fullname" -}}
{{- printf "%s-minio" (include "ducklake.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "ducklake.s3.endpoint" -}}
{{- if .Values.minio.enabled -}}
{{- printf "http://%s:9000" (include "ducklake.minio.fullname" .) -}}
{{- else -}}
{{- .Values.s3.endpoint -}}
{{- end -}}
{{- end -}}

{{- define "ducklake.s3.secretName" -}}
{{- if .Values.minio.enabled -}}
{{- default (include "ducklake.minio.fullname" .) .Values.minio.auth.existingSecret -}}
{{- else -}}
{{- required "s3.existingSecret is required when minio.enabled is false" .Values.s3.existingSecret -}}
{{- end -}}
{{- end -}}

{{- define "ducklake.s3.accessKeyIdKey" -}}
{{- if .Values.minio.enabled -}}
{{- if .Values.minio.auth.existingSecret -}}{{ .Values.minio.auth.rootUserKey }}{{- else -}}root-user{{- end -}}
{{- else -}}
{{- .Values.s3.accessKeyIdKey -}}
{{- end -}}
{{- end -}}

{{- define "ducklake.s3.secretAccessKeyKey" -}}
{{- if .Values.minio.enabled -}}
{{- if .Values.minio.auth.existingSecret -}}{{ .Values.minio.auth.rootPasswordKey }}{{- else -}}root-password{{- end -}}
{{- else -}}
{{- .Values.s3.secretAccessKeyKey -}}
{{- end -}}
{{- end -}}

{{- define "ducklake.createBucket" -}}
{{- if or .Values.minio.enabled .Values.s3.createBucket -}}true{{- end -}}
{{- end -}}

{{/* The admin token Secret */}}
{{- define "ducklake.adminToken.secretName" -}}
{{- default (printf "%s-admin-token" (include "ducklake.fullname" .)) .Values.auth.adminToken.existingSecret -}}
{{- end -}}

{{- define "ducklake.adminToken.secretKey" -}}
{{- if .Values.auth.adminToken.existingSecret -}}{{ .Values.auth.adminToken.existingSecretKey }}{{- else -}}admin-token{{- end -}}
{{- end -}}

{{/* http or https, as the pod serves it */}}
{{- define "ducklake.scheme" -}}
{{- if .Values.tls.enabled -}}HTTPS{{- else -}}HTTP{{- end -}}
{{- end -}}

{{- define "ducklake.publicUrl" -}}
{{- if .Values.publicUrl -}}
{{- .Values.publicUrl -}}
{{- else if and .Values.ingress.enabled .Values.ingress.hosts -}}
{{- $host := (first .Values.ingress.hosts).host -}}
{{- $tls := false -}}
{{- range .Values.ingress.tls -}}{{- if has $host .hosts -}}{{- $tls = true -}}{{- end -}}{{- end -}}
{{- printf "%s://%s" (ternary "https" "http" $tls) $host -}}
{{- end -}}
{{- end -}}

{{/* Values a secret must never be: reuse an existing generated Secret's data key, else make one. */}}
{{- define "ducklake.keepOrGenerate" -}}
{{- $existing := lookup "v1" "Secret" .namespace .name -}}
{{- if and $existing $existing.data (hasKey $existing.data .key) -}}
{{- index $existing.data .key -}}
{{- else -}}
{{- .generated | b64enc -}}
{{- end -}}
{{- end -}}

{{/* Where the bucket-making init container reaches the store */}}
{{- define "ducklake.s3.mcEndpoint" -}}
{{- $endpoint := include "ducklake.s3.endpoint" . -}}
{{- if $endpoint -}}{{- $endpoint -}}{{- else -}}{{- printf "https://s3.%s.amazonaws.com" .Values.s3.region -}}{{- end -}}
{{- end -}}
