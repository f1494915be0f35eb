import { ref, reactive } from 'vue'
import { ElMessage } from 'element-plus'
import 'element-plus/es/components/message/style/css'
import { ApiError, asApiError, mapFieldErrors } from './errors'

export interface RunOptions {
  /** Do not pop an ElMessage (the caller shows the error itself). */
  silent?: boolean
  /** Message shown on success. */
  success?: string
}

/**
 * useApi wraps calls to the server with loading state and the one error policy:
 * the server's Chinese `message` goes to ElMessage, its `fields` go to
 * `fieldErrors` (bind with `<el-form-item :error="fieldErrors.name">`).
 *
 *   const { loading, fieldErrors, run } = useApi()
 *   const saved = await run(() => unwrap(api.POST('/api/…', { body })))
 *   if (saved) …   // undefined when it failed
 */
export function useApi() {
  const loading = ref(false)
  const error = ref<ApiError | null>(null)
  const fieldErrors = reactive<Record<string, string>>({})

  function clearFieldErrors() {
    for (const k of Object.keys(fieldErrors)) delete fieldErrors[k]
  }

  async function run<T>(fn: () => Promise<T>, opts: RunOptions = {}): Promise<T | undefined> {
    loading.value = true
    error.value = null
    clearFieldErrors()
    try {
      const result = await fn()
      if (opts.success) ElMessage.success(opts.success)
      return result
    } catch (e) {
      const err = asApiError(e)
      error.value = err
      Object.assign(fieldErrors, mapFieldErrors(err.fields))
      // A 401 is handled globally (redirect to login); do not stack a toast on it.
      if (!opts.silent && err.status !== 401) ElMessage.error(err.message)
      return undefined
    } finally {
      loading.value = false
    }
  }

  return { loading, error, fieldErrors, run, clearFieldErrors }
}
