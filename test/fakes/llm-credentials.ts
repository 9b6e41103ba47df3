/**
 * The credentials and names the LLM vendor fakes know (test/fakes/llm-*.ts). Kept free of Node imports so the
 * workers tests (inside workerd) can import them too.
 */
export const anthropicFakeKey = 'sk-ant-fake-0123456789';
export const openAiFakeKey = 'sk-proj-fake-0123456789';
export const azureOpenAiFakeKey = '0123456789abcdef0123456789abcdef';
export const azureOpenAiFakeDeployment = 'mantissa-gpt';
export const bedrockFakeRegion = 'us-east-1';
export const bedrockFakeAccessKeyId = 'AKIAFAKEBEDROCK00001';
export const bedrockFakeSecretKey = 'fake/bedrock/secret/key/0123456789abcdef';
export const bedrockFakeModelId = 'anthropic.claude-3-5-haiku-20241022-v1:0';
export const geminiFakeKey = 'AIzaFakeGeminiKey0123456789';
export const vertexFakeProject = 'acme-siem';
export const vertexFakeLocation = 'europe-west4';
export const vertexFakeServiceAccount = 'mantissa-nlq@acme-siem.iam.gserviceaccount.com';
