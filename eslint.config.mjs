// ESLint flat config: typescript-eslint's type-checked recommended rules, `curly`, and Pulumi's
// rules against Outputs interpolated into template literals (they render as a warning string).
import tseslint from "typescript-eslint";
import pulumi from "@pulumi/eslint-plugin";

export default tseslint.config(
    { ignores: ["node_modules/", "dist/", "tests/library/consumer/", "**/*.mjs"] },
    ...tseslint.configs.recommendedTypeChecked,
    { rules: { curly: "error" } },
    {
        files: ["**/*.ts"],
        plugins: { "@pulumi": pulumi },
        languageOptions: { parserOptions: { projectService: true } },
        rules: {
            "@pulumi/no-output-in-template-literal": "error",
            "@pulumi/no-output-instance-in-template-literal": "error",
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
        },
    },
    {
        // Plain CommonJS scripts: no types to check, and require() is how they load modules.
        files: ["**/*.js"],
        ...tseslint.configs.disableTypeChecked,
        rules: {
            ...tseslint.configs.disableTypeChecked.rules,
            "@typescript-eslint/no-require-imports": "off",
        },
    },
);
