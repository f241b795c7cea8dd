{{- define "govhall.name" -}}{{ .Release.Name }}-govhall{{- end -}}
{{- define "govhall.labels" -}}
app.kubernetes.io/name: govhall
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end -}}
{{- define "govhall.selector" -}}
app.kubernetes.io/name: govhall
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}
{{- define "govhall.env" -}}
{{- range $k, $v := .Values.env }}
- name: {{ $k }}
  value: {{ $v | quote }}
{{- end }}
- name: GOVHALL_DATABASE_URL
  valueFrom: {secretKeyRef: {name: {{ .Values.database.existingSecret }}, key: {{ .Values.database.appUrlKey }}}}
- name: GOVHALL_MIGRATION_DATABASE_URL
  valueFrom: {secretKeyRef: {name: {{ .Values.database.existingSecret }}, key: {{ .Values.database.ownerUrlKey }}}}
- name: GOVHALL_SECRET_KEY
  valueFrom: {secretKeyRef: {name: {{ .Values.secret.existingSecret }}, key: {{ .Values.secret.secretKeyKey }}}}
- name: GOVHALL_REDIS_URL
  valueFrom: {secretKeyRef: {name: {{ .Values.secret.existingSecret }}, key: {{ .Values.secret.redisUrlKey }}}}
- name: GOVHALL_VAR_DIR
  value: {{ .Values.varVolume.mountPath | quote }}
{{- end -}}
