{{- define "govhall.name" -}}{{ .Release.Name }}-govhall{{- end -}}

{{- define "govhall.labels" -}}
app.kubernetes.io/name: govhall
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | quote }}
{{- end -}}

{{- define "govhall.selector" -}}
app.kubernetes.io/name: govhall
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: app
{{- end -}}

{{/* More than one app pod can run at once: a PDB makes sense. */}}
{{- define "govhall.multiReplica" -}}
{{- if .Values.autoscaling.enabled -}}
{{- if or (gt (int .Values.autoscaling.minReplicas) 1) (gt (int .Values.autoscaling.maxReplicas) 1) }}true{{ end -}}
{{- else if gt (int .Values.replicaCount) 1 -}}true{{- end -}}
{{- end -}}

{{/* Value combinations the schema cannot refuse. Several replicas no longer need Redis: sessions and login
counters live in the database (table store_entry) and change notices go through PostgreSQL NOTIFY. */}}
{{- define "govhall.checks" -}}
{{- if and .Values.redis.enabled (not .Values.redis.existingSecret) -}}
{{- fail "redis.enabled needs redis.existingSecret (the Secret holding the Redis URL)" -}}
{{- end -}}
{{- end -}}

{{- define "govhall.image" -}}
"{{ .Values.image.repository }}:{{ .Values.image.tag }}"
{{- end -}}

{{/* Pod security "restricted" (Kubernetes Pod Security Standards). */}}
{{- define "govhall.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.podSecurityContext.runAsUser }}
runAsGroup: {{ .Values.podSecurityContext.runAsGroup }}
fsGroup: {{ .Values.podSecurityContext.fsGroup }}
seccompProfile: {type: RuntimeDefault}
{{- end -}}

{{- define "govhall.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.podSecurityContext.runAsUser }}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities: {drop: [ALL]}
seccompProfile: {type: RuntimeDefault}
{{- end -}}

{{/* Settings every govhall container shares; no database URL (see govhall.appDatabaseEnv). */}}
{{- define "govhall.commonEnv" -}}
{{- range $k, $v := .Values.env }}
- name: {{ $k }}
  value: {{ $v | quote }}
{{- end }}
- name: GOVHALL_SECRET_KEY
  valueFrom: {secretKeyRef: {name: {{ .Values.secret.existingSecret | quote }}, key: {{ .Values.secret.secretKeyKey | quote }}}}
- name: GOVHALL_VAR_DIR
  value: {{ .Values.varVolume.mountPath | quote }}
- name: GOVHALL_APP_DB_ROLE
  value: {{ .Values.database.appRole | quote }}
- name: TMPDIR
  value: {{ .Values.tmpVolume.mountPath | quote }}
{{- end -}}

{{/* The app role's URL: app pods and CronJobs. Never the owner's. */}}
{{- define "govhall.appEnv" -}}
{{ include "govhall.commonEnv" . }}
- name: GOVHALL_DATABASE_URL
  valueFrom: {secretKeyRef: {name: {{ .Values.database.existingSecret | quote }}, key: {{ .Values.database.appUrlKey | quote }}}}
{{- if .Values.redis.enabled }}
- name: GOVHALL_REDIS_URL
  valueFrom: {secretKeyRef: {name: {{ .Values.redis.existingSecret | quote }}, key: {{ .Values.redis.urlKey | quote }}}}
{{- end }}
{{- if .Values.trustedProxies }}
- name: GOVHALL_TRUSTED_PROXIES
  value: {{ join "," .Values.trustedProxies | quote }}
{{- end }}
{{- end -}}

{{- define "govhall.volumeMounts" -}}
- {name: var, mountPath: {{ .Values.varVolume.mountPath | quote }}}
- {name: tmp, mountPath: {{ .Values.tmpVolume.mountPath | quote }}}
{{- end -}}

{{- define "govhall.volumes" -}}
- name: var
  persistentVolumeClaim: {claimName: {{ .Values.varVolume.existingClaim | quote }}}
- name: tmp
  emptyDir: {sizeLimit: {{ .Values.tmpVolume.sizeLimit | quote }}}
{{- end -}}

{{- define "govhall.podCommon" -}}
securityContext: {{- include "govhall.podSecurityContext" . | nindent 2 }}
automountServiceAccountToken: false
{{- with .Values.imagePullSecrets }}
imagePullSecrets: {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.nodeSelector }}
nodeSelector: {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations: {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* A CronJob running one govhall command with the app role (name, command list, job values). */}}
{{- define "govhall.cronJob" -}}
{{- $root := index . 0 -}}{{- $name := index . 1 -}}{{- $command := index . 2 -}}{{- $job := index . 3 -}}
apiVersion: batch/v1
kind: CronJob
metadata:
  name: {{ include "govhall.name" $root }}-{{ $name }}
  labels:
    {{- include "govhall.labels" $root | nindent 4 }}
    app.kubernetes.io/component: {{ $name }}
spec:
  schedule: {{ $job.schedule | quote }}
  {{- with $root.Values.cronJobs.timeZone }}
  timeZone: {{ . | quote }}
  {{- end }}
  concurrencyPolicy: Forbid
  successfulJobsHistoryLimit: 3
  failedJobsHistoryLimit: 3
  jobTemplate:
    spec:
      backoffLimit: 1
      activeDeadlineSeconds: {{ $job.activeDeadlineSeconds }}
      template:
        metadata:
          labels:
            {{- include "govhall.labels" $root | nindent 12 }}
            app.kubernetes.io/component: {{ $name }}
        spec:
          restartPolicy: Never
          {{- include "govhall.podCommon" $root | nindent 10 }}
          containers:
            - name: {{ $name }}
              image: {{ include "govhall.image" $root }}
              imagePullPolicy: {{ $root.Values.image.pullPolicy }}
              command: {{ toJson $command }}
              env: {{- include "govhall.appEnv" $root | nindent 16 }}
              resources: {{- toYaml $root.Values.cronJobs.resources | nindent 16 }}
              securityContext: {{- include "govhall.containerSecurityContext" $root | nindent 16 }}
              volumeMounts: {{- include "govhall.volumeMounts" $root | nindent 16 }}
          volumes: {{- include "govhall.volumes" $root | nindent 12 }}
{{- end -}}
